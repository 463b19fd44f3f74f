"""Pages of buurten: `teams` (the team page, goal, members, subgebieden) and `uitnodigingen`
(inviting people and adding an existing account). The URLs are in `buurten/urls.py`."""
