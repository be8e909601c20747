"""Builds the page model (:mod:`qualispec.compiler.fiches.pages`) from compiled campaigns.

``context`` is what every builder shares (names, values in words, dependencies); ``provenance``
where a declaration comes from; ``fiche`` an indicator's fiche, with ``curve`` its valuation
curve and ``changes`` what changed since the extended campaign; ``groups`` the comparison
groups as tables; ``campaign`` a campaign's page and the whole site.
"""

from qualispec.compiler.fiches.build.campaign import build_site, find_bases

__all__ = ["build_site", "find_bases"]
