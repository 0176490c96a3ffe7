-- Job priorities per meeting: every stage of a meeting is queued with its priority, and
-- procrastinate takes the highest priority first (then the oldest).
ALTER TABLE meetings ADD COLUMN priority integer NOT NULL DEFAULT 0
    CHECK (priority BETWEEN -100 AND 100);

CREATE OR REPLACE FUNCTION minutes_defer_stage(meeting uuid, task text, queue text) RETURNS bigint
LANGUAGE sql AS $$
    SELECT (procrastinate_defer_jobs_v1(ARRAY[ROW(
        queue, task,
        coalesce((SELECT priority FROM meetings WHERE id = meeting), 0),
        'meeting:' || meeting,
        'meeting:' || meeting || ':' || task,
        jsonb_build_object('meeting_id', meeting),
        NULL
    )::procrastinate_job_to_defer_v1]))[1];
$$;

-- Whisper's own signals per segment, kept for OpenAI's verbose_json.
ALTER TABLE transcript_segments ADD COLUMN no_speech_prob real;
ALTER TABLE transcript_segments ADD COLUMN compression_ratio real;
