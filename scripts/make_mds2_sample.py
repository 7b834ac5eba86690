"""Write samples/mds2/: an invented manufacturer's MDS2 form (ANSI/NEMA HN 1-2019 layout) for the
syringe pumps of samples/inventory.csv (Medivia PS-1200), read by `medrisk-xl mds2 read`.

Usage: python scripts/make_mds2_sample.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.mds2_forms import write_form  # noqa: E402

ANSWERS = {
    "DOC-8": "Yes",
    "DOC-9": "No",
    "DOC-10": "See Note 1",
    "DOC-11": "No",
    "MPII-1": "Yes",
    "MPII-2": "Yes",
    "MPII-2.2": "Yes",
    "MPII-2.6": "Yes",
    "AUTH-1": "Yes",
    "CSUP-1": "Yes",
    "CSUP-2": "Yes",
    "CSUP-2.1": "No",
    "CSUP-2.2": "Yes",
    "CSUP-2.3": "No",
    "CSUP-2.4": "No",
    "CSUP-7": "Yes",
    "CSUP-11": "Yes",
    "DTBK-3": "No",
    "DTBK-4": "Yes",
    "NAUT-2": "Yes, optional",
    "CONN-1": "Yes",
    "CONN-1.1": "Yes",
    "CONN-1.1.1": "Yes",
    "CONN-1.2": "Yes",
    "CONN-1.2.1": "No",
    "CONN-1.2.2": "Yes",
    "CONN-2": "Yes",
    "CONN-3": "Yes",
    "CONN-4": "No",
    "PAUT-1": "No",
    "PAUT-5": "No",
    "PAUT-6": "No",
    "PLOK-4": "N/A",
    "RDMP-3": "Yes - See Note 4",
    "RDMP-4": "Yes",
    "SBOM-1": "Yes",
    "SBOM-4": "Yes",
    "SAHD-8": "Yes",
    "SAHD-9": "Yes",
    "SHAD-15": "Yes",
    "TXCF-2": "Yes",
    "TXIG-1": "Yes",
}
REFS = {"CONN-1.2.2": "See Note 2", "PAUT-5": "See Note 3"}
NOTES = {
    1: "Data flow diagram in the technical manual, chapter 9.",
    2: "USB port for service only, disabled in clinical mode.",
    3: "The service password is set by Medivia and cannot be changed.",
    4: "Support dates: www.medivia.example/support",
}


def main() -> None:
    folder = ROOT / "samples" / "mds2"
    folder.mkdir(parents=True, exist_ok=True)
    path = write_form(folder / "Medivia_PS-1200_MDS2.xlsx", ANSWERS, refs=REFS, notes=NOTES)
    print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
