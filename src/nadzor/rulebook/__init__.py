"""The rules as a product: the catalogue (pre-serialized), rule search by word forms and paragraph
numbers, the rule forms for people, and the regulation's text beside each rule."""
