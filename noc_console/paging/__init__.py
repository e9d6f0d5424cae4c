"""Paging providers: one module per vendor, each turning a page into the vendor's documented request."""
