"""Forms of the buurten pages, one module per page group as in `buurten/views/`. They only parse
input; the rules live in `buurten.services`."""
