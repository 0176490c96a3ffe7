-- The voices found in each meeting, kept even when nobody is enrolled for them, so that
-- naming one later enrols it and relabels the meeting.

CREATE TABLE meeting_speakers (
    meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    label text NOT NULL,                 -- SPEAKER_00, SPEAKER_01, ... in order of first words
    speaker_id uuid REFERENCES speakers (id) ON DELETE SET NULL,
    similarity real,                     -- cosine similarity to speaker_id's profile
    confirmed boolean NOT NULL DEFAULT false,  -- named by a person, not matched by the model
    embedding vector(256) NOT NULL,      -- unit-length centroid of the voice's turns
    turns integer NOT NULL,
    seconds double precision NOT NULL,
    PRIMARY KEY (meeting_id, label)
);
CREATE INDEX meeting_speakers_speaker_idx ON meeting_speakers (speaker_id);

CREATE UNIQUE INDEX speakers_name_per_user_idx
    ON speakers (lower(name), coalesce(user_id, '00000000-0000-0000-0000-000000000000'));
CREATE INDEX transcript_segments_speaker_idx ON transcript_segments (speaker_id);
