"""Loading the NRW reference data (municipalities, population, KeKiz) into the database.

load_reference_data(*, actor=None, data_dir=DEFAULT_DATA_DIR) -> LoadReport
"""

from .files import DEFAULT_DATA_DIR, ReferenceDataError, read_reference_data
from .service import LoadReport, SyncCount, load_reference_data

__all__ = [
    "DEFAULT_DATA_DIR",
    "LoadReport",
    "ReferenceDataError",
    "SyncCount",
    "load_reference_data",
    "read_reference_data",
]
