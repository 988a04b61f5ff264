"""Publications: analyses, their index, the home page, the taxonomy and the PDF documents.
One module per concern; everything is re-exported here for Django and for imports elsewhere."""

from .analysis import (
    AnalysisAuthor,
    AnalysisIndexPage,
    AnalysisPage,
    AnalysisResearchUnit,
    ExcludedRelatedAnalysis,
    RelatedAnalysis,
)
from .changes import ContentChange
from .documents import PublicationDocument
from .harvest import HarvestRecord, HarvestRecordSet
from .home import FeaturedAnalysis, HomePage
from .readership import DailyReadership
from .review import ChecklistApprovalTask
from .taxonomy import AnalysisRegion, AnalysisTheme, AnalysisType, Region, Series, Theme

__all__ = [
    "AnalysisAuthor",
    "AnalysisIndexPage",
    "AnalysisPage",
    "AnalysisRegion",
    "AnalysisResearchUnit",
    "AnalysisTheme",
    "AnalysisType",
    "ChecklistApprovalTask",
    "ContentChange",
    "DailyReadership",
    "ExcludedRelatedAnalysis",
    "FeaturedAnalysis",
    "HarvestRecord",
    "HarvestRecordSet",
    "HomePage",
    "PublicationDocument",
    "RelatedAnalysis",
    "Region",
    "Series",
    "Theme",
]
