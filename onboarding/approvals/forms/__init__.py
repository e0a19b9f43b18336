"""Forms of course approval, one module per area."""
