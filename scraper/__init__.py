"""Korean government press releases and news pages -> clean, structured records."""

from scraper.models import Record
from scraper.pipeline import extract_page, extract_text
from scraper.sources.profile import SiteProfile

__all__ = ["Record", "SiteProfile", "extract_page", "extract_text"]
__version__ = "0.1.0"
