"""The references of the factorization family (shared ones come from theorems.references)."""

from theorems.references import HAEFFELE_2015, HAEFFELE_2017, HAEFFELE_2020, SEED, SREBRO

__all__ = ["HAEFFELE_2015", "HAEFFELE_2017", "HAEFFELE_2020", "SEED", "SREBRO",
           "NUCLEAR_VARIATIONAL", "CERTIFICATE", "ZERO_COLUMN"]

# what each theorem rests on, in the order its page lists them
NUCLEAR_VARIATIONAL = [SREBRO, HAEFFELE_2020]
CERTIFICATE = [HAEFFELE_2015, HAEFFELE_2017, HAEFFELE_2020, SEED]
ZERO_COLUMN = [HAEFFELE_2015, HAEFFELE_2020]
