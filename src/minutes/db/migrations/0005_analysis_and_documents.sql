-- What the analyze stage measured: YAMNet's labelled stretches (speech included) ...
CREATE TABLE meeting_sound_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    label text NOT NULL,
    start_time double precision NOT NULL,
    end_time double precision NOT NULL,
    score real NOT NULL
);
CREATE INDEX meeting_sound_events_meeting_idx ON meeting_sound_events (meeting_id, start_time);

-- ... and the voices and mood: typed columns for what lists filter on, the rest as JSON.
CREATE TABLE meeting_analysis (
    meeting_id uuid PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    mood text NOT NULL,
    arousal real NOT NULL,
    valence real NOT NULL,
    mood_confidence real NOT NULL,
    meeting_voice jsonb NOT NULL,
    speaker_voices jsonb NOT NULL DEFAULT '[]'::jsonb,
    sound_seconds jsonb NOT NULL DEFAULT '{}'::jsonb,
    model_used text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The meeting's markdown document as last written (after summarize, and on speaker renames).
CREATE TABLE meeting_documents (
    meeting_id uuid PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    markdown text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Search covers the document's sections too; `section` is the heading, NULL for transcript.
ALTER TABLE transcript_chunks ADD COLUMN section text;
