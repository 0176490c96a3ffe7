-- The seed-compatible core (meetings, transcript_segments, speakers, meeting_summaries,
-- with their original column names) plus what the pipeline needs beside them.

CREATE EXTENSION IF NOT EXISTS vector;

CREATE FUNCTION minutes_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE meetings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    audio_url text,
    audio_storage_path text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    user_id uuid,
    duration_seconds double precision,
    error_message text,
    processed_by text,
    -- beside the seed columns
    stage text,
    progress real NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
    language text,
    options jsonb NOT NULL DEFAULT '{}'::jsonb,
    source_sha256 text
);
CREATE INDEX meetings_status_created_idx ON meetings (status, created_at);
CREATE INDEX meetings_user_created_idx ON meetings (user_id, created_at);
CREATE TRIGGER meetings_touch BEFORE UPDATE ON meetings
    FOR EACH ROW EXECUTE FUNCTION minutes_touch_updated_at();

CREATE TABLE speakers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    user_id uuid,
    embedding vector(256),
    audio_samples integer NOT NULL DEFAULT 0,
    meeting_ids uuid[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER speakers_touch BEFORE UPDATE ON speakers
    FOR EACH ROW EXECUTE FUNCTION minutes_touch_updated_at();

CREATE TABLE transcript_segments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    start_time double precision NOT NULL,
    end_time double precision NOT NULL,
    speaker_id uuid REFERENCES speakers (id) ON DELETE SET NULL,
    speaker_label text,
    text text NOT NULL,
    confidence real,
    -- beside the seed columns
    segment_index integer NOT NULL,
    words jsonb NOT NULL DEFAULT '[]'::jsonb,  -- [{"word", "start", "end", "probability"}]
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (meeting_id, segment_index)
);

CREATE TABLE meeting_summaries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    meeting_id uuid NOT NULL UNIQUE REFERENCES meetings (id) ON DELETE CASCADE,
    summary text,
    key_points jsonb NOT NULL DEFAULT '[]'::jsonb,
    action_items jsonb NOT NULL DEFAULT '[]'::jsonb,
    topics jsonb NOT NULL DEFAULT '[]'::jsonb,
    sentiment text,
    model_used text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER meeting_summaries_touch BEFORE UPDATE ON meeting_summaries
    FOR EACH ROW EXECUTE FUNCTION minutes_touch_updated_at();

-- What happened to a meeting, in order: stage starts, completions, retries, failures.
CREATE TABLE meeting_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    kind text NOT NULL,
    stage text,
    detail jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_events_meeting_idx ON meeting_events (meeting_id, id);

-- Queue one stage of one meeting. The lock keeps a meeting's stages strictly one at a
-- time across all workers; the queueing lock keeps at most one waiting job per stage.
CREATE FUNCTION minutes_defer_stage(meeting uuid, task text, queue text) RETURNS bigint
LANGUAGE sql AS $$
    SELECT (procrastinate_defer_jobs_v1(ARRAY[ROW(
        queue, task, 0,
        'meeting:' || meeting,
        'meeting:' || meeting || ':' || task,
        jsonb_build_object('meeting_id', meeting),
        NULL
    )::procrastinate_job_to_defer_v1]))[1];
$$;

-- Any client (the CLI, the API, a Supabase front end) queues a meeting by inserting it as
-- pending. 'ingest' on queue 'io' is the pipeline's first stage (minutes.pipeline.STAGES).
CREATE FUNCTION minutes_queue_new_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM minutes_defer_stage(NEW.id, 'ingest', 'io');
    RETURN NEW;
END;
$$;
CREATE TRIGGER meetings_queue AFTER INSERT ON meetings
    FOR EACH ROW WHEN (NEW.status = 'pending') EXECUTE FUNCTION minutes_queue_new_meeting();
