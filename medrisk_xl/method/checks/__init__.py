"""The checks of a content pack: each file's structure (:mod:`.pack_files`), the method and its texts
(:mod:`.method`), the risk register (:mod:`.register`) and the ui texts (:mod:`.ui`)."""
