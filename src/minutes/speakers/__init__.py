"""Who spoke when: speaker embeddings, clustering into voices, turns cut from the transcript."""
