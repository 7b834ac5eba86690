"""The method as data: the content pack (model, loading, schema, labels), the reference scorer,
the columns the outputs name, and the pack's checks (:mod:`medrisk_xl.method.checks`)."""
