"""A synthetic province to develop, test and benchmark against: Anhui's real cities and
counties with synthetic people, households, organizations and facilities, written as the
registries export them (one file per source of `civgraph.ingest.mappings`), with planted
noise and planted situations listed in `manifest.json`. docs/synth.md describes it all.

Rows are written as they are generated (one community at a time), so memory stays flat
whatever the number of people. Same seed, same files. Everything is synthetic.
"""

from civgraph.ingest.synth.generator import synthesize
from civgraph.ingest.synth.manifest import Manifest

__all__ = ["Manifest", "synthesize"]
