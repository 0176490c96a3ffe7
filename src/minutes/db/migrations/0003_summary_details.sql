-- Beside the seed's summary columns: the decisions taken and the numeric sentiment.
ALTER TABLE meeting_summaries
    ADD COLUMN decisions jsonb NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN sentiment_score real;
