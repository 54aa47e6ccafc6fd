"""Small widgets the screens compose. Import them from their modules."""
