"""lj-facts: facts and figures of Liangjiang New Area (两江新区), each with the report's own words."""

__version__ = "0.1.0"
