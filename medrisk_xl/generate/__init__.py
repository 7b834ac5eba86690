"""Generate a campaign: read the inventory (:mod:`.inventory`), write one protected workbook per
department and campaign.json (:mod:`.campaign`). The entry point is :func:`generate`."""

from medrisk_xl.generate.campaign import CampaignResult, Options, generate

__all__ = ["CampaignResult", "Options", "generate"]
