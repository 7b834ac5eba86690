"""Write samples/mds2/: invented manufacturers' MDS2 forms (ANSI/NEMA HN 1-2019 layout) for models
of samples/inventory.csv, read by `medrisk-xl mds2 read` and `medrisk-xl confirm --mds2`: the
Medivia PS-1200 syringe pump (networked; its service password cannot be changed), and the
Perfalis SY800 Neo syringe pump, a stand-alone device with no network connection at all.

Usage: python scripts/make_mds2_sample.py
"""

from __future__ import annotations

import datetime as dt
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


# A stand-alone pump: no network, no wireless, no removable media; local access code only.
STANDALONE = {
    "MPII-1": "Yes",
    "MPII-2": "Yes",
    "MPII-2.2": "Yes",
    "AUTH-1": "Yes",
    "PAUT-1": "Yes",
    "PAUT-5": "Yes",
    "PAUT-6": "No",
    "CSUP-1": "Yes",
    "CSUP-2": "No",
    "CSUP-7": "Yes",
    "CSUP-11": "No - See Note 1",
    "CONN-1": "No",
    "CONN-1.1": "No",
    "CONN-1.1.1": "N/A",
    "CONN-1.2": "No",
    "CONN-1.2.1": "N/A",
    "CONN-2": "N/A",
    "SBOM-1": "No",
}
STANDALONE_IDENTITY = {
    "DOC-1": "Perfalis",
    "DOC-2": "Syringe pump, stand-alone",
    "DOC-3": "SY800 Neo",
    "DOC-4": "PRF-SY800N-MDS2-01",
    "DOC-5": "cybersecurite@perfalis.example",
    "DOC-6": "Neonatal syringe infusion; no data leaves the device",
    "DOC-7": dt.datetime(2024, 9, 2),
}
STANDALONE_NOTES = {
    1: "Firmware updates are installed by Perfalis field service during preventive maintenance."
}


def main() -> None:
    folder = ROOT / "samples" / "mds2"
    folder.mkdir(parents=True, exist_ok=True)
    path = write_form(folder / "Medivia_PS-1200_MDS2.xlsx", ANSWERS, refs=REFS, notes=NOTES)
    print(path.relative_to(ROOT))
    path = write_form(
        folder / "Perfalis_SY800-Neo_MDS2.xlsx",
        STANDALONE,
        notes=STANDALONE_NOTES,
        identity=STANDALONE_IDENTITY,
    )
    print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
