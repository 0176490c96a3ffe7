-- What the HTTP service needs: API keys, per-meeting webhook and dedupe key, webhook
-- subscriptions and their delivery outbox, and notifications for live progress.

CREATE TABLE api_keys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    prefix text NOT NULL,               -- the first characters, to recognise a key in lists
    key_hash text NOT NULL UNIQUE,      -- sha256 of the whole key; the key itself is never stored
    user_id uuid,                       -- when set, the key sees only this user's meetings
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
);

ALTER TABLE meetings
    ADD COLUMN webhook_url text,
    ADD COLUMN dedupe_key text;
CREATE UNIQUE INDEX meetings_dedupe_idx
    ON meetings (coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid), dedupe_key)
    WHERE dedupe_key IS NOT NULL;

CREATE TABLE webhook_subscriptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url text NOT NULL,
    events text[] NOT NULL DEFAULT ARRAY[
        'meeting.processing', 'meeting.transcribed', 'meeting.completed', 'meeting.failed'],
    user_id uuid,                       -- when set, only this user's meetings
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The outbox: one row per (event, receiver), written in the transaction that made the
-- event happen, delivered by workers with retries; a stage never waits for a receiver.
CREATE TABLE webhook_deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    subscription_id uuid REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    url text NOT NULL,
    event text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status integer,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_meeting_idx ON webhook_deliveries (meeting_id, id);

CREATE FUNCTION minutes_queue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    event text;
    meeting meetings%ROWTYPE;
    body jsonb;
BEGIN
    event := CASE
        WHEN NEW.kind = 'stage.started' AND NEW.stage = 'ingest' THEN 'meeting.processing'
        WHEN NEW.kind = 'stage.completed' AND NEW.stage = 'transcribe' THEN 'meeting.transcribed'
        WHEN NEW.kind IN ('meeting.completed', 'meeting.failed') THEN NEW.kind
    END;
    IF event IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT * INTO meeting FROM meetings WHERE id = NEW.meeting_id;
    body := jsonb_build_object(
        'event', event,
        'event_id', NEW.id,
        'created_at', NEW.created_at,
        'meeting', jsonb_build_object(
            'id', meeting.id, 'title', meeting.title, 'status', meeting.status,
            'stage', meeting.stage, 'progress', meeting.progress,
            'error_message', meeting.error_message, 'user_id', meeting.user_id));
    IF meeting.webhook_url IS NOT NULL THEN
        INSERT INTO webhook_deliveries (meeting_id, url, event, payload)
        VALUES (meeting.id, meeting.webhook_url, event, body);
    END IF;
    INSERT INTO webhook_deliveries (meeting_id, subscription_id, url, event, payload)
    SELECT meeting.id, s.id, s.url, event, body FROM webhook_subscriptions s
    WHERE event = ANY (s.events) AND (s.user_id IS NULL OR s.user_id = meeting.user_id);
    RETURN NEW;
END;
$$;
CREATE TRIGGER meeting_events_webhooks AFTER INSERT ON meeting_events
    FOR EACH ROW EXECUTE FUNCTION minutes_queue_webhooks();

-- Live progress: every change of a meeting's status, stage or progress is announced on
-- channel `minutes_meetings` (delivered at commit), which the API's event streams listen to.
CREATE FUNCTION minutes_notify_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('minutes_meetings', json_build_object(
        'id', NEW.id, 'status', NEW.status, 'stage', NEW.stage, 'progress', NEW.progress,
        'error_message', NEW.error_message)::text);
    RETURN NEW;
END;
$$;
CREATE TRIGGER meetings_notify AFTER INSERT OR UPDATE OF status, stage, progress ON meetings
    FOR EACH ROW EXECUTE FUNCTION minutes_notify_meeting();
