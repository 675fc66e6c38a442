from celery import shared_task

from monitoring.reports import services


@shared_task(acks_late=True)
def render_report_task(report_id: int) -> bool:
    return services.render_report(report_id=report_id)
