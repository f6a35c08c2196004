from layers.models.advertising_structure import AdvertisingStructure
from layers.models.base import LayerFeature, PermitState, StructureStatus
from layers.models.import_run import ImportRun, RevertResult
from layers.models.land_plot import LandPlot
from layers.models.passport import LayerPassport, UpdateFrequency
from layers.models.temporary_structure import TemporaryStructure
from layers.models.zoning_zone import ZoningZone

__all__ = [
    "AdvertisingStructure",
    "ImportRun",
    "LandPlot",
    "LayerFeature",
    "LayerPassport",
    "PermitState",
    "RevertResult",
    "StructureStatus",
    "TemporaryStructure",
    "UpdateFrequency",
    "ZoningZone",
]
