"""The Textual user interface: a thin layer over the core. No interview logic lives here."""
