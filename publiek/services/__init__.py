"""Services of publiek: what residents do online (support, a wish), each confirmed by a mailed link."""
