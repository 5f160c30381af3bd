"""Story clustering: every report of one event, in any outlet and language, folded into one story.

`features` reads entities and numbers from text, `embeddings` wraps the multilingual sentence
encoder (loaded lazily, once per process), `assign` decides whether an article joins an open story,
`window` holds the open stories in memory, `rank` scores hotness and `present` chooses what a story
shows. Pure given their inputs: nothing here opens a database or a socket, or reads the clock.
"""
