"""The members app's pages, by sub-domain: ``directory`` (organizations),
``people``, ``invitations`` (the inviters' side) and ``join`` (the invitee's
public pages)."""
