-- Searchable pieces of every transcript: a few sentences of one speaker, with their times,
-- embedded (all-MiniLM-L6-v2, 384-d, HNSW cosine index) and full-text indexed.
CREATE TABLE transcript_chunks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    start_time double precision NOT NULL,
    end_time double precision NOT NULL,
    speaker text,
    text text NOT NULL,
    embedding vector(384) NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
);
CREATE INDEX transcript_chunks_meeting_idx ON transcript_chunks (meeting_id, start_time);
CREATE INDEX transcript_chunks_embedding_idx
    ON transcript_chunks USING hnsw (embedding vector_cosine_ops);
CREATE INDEX transcript_chunks_tsv_idx ON transcript_chunks USING gin (tsv);
