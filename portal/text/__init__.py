"""Text rules shared by every part: the portal's languages, Chinese folding, the one name rule,
whole numbers as requests write them, the characters no text may hold."""
