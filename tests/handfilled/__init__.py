"""Reading hand-filled workbooks: the normal form of keys, and what Excel puts around records."""
