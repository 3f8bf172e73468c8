-- The PostgreSQL schema made by the code of commit a6a3a31 (before migrations): pg_dump --schema-only
-- of a fresh schema opened with tim.store.db.make_engine at a6a3a31, made schema-agnostic (no schema
-- prefix, no SET lines). tests/store/migrations load it into a fresh schema and copy the SQLite
-- fixture's rows into it.

CREATE TABLE clusters (
    id character varying(40) NOT NULL,
    kind character varying(20) NOT NULL,
    status character varying(12) NOT NULL,
    buurt_code character varying(10),
    member_count integer NOT NULL,
    bundled text NOT NULL,
    bundled_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    modified_at timestamp with time zone NOT NULL,
    change_seq integer NOT NULL
);

CREATE TABLE counters (
    name character varying(40) NOT NULL,
    value integer NOT NULL
);

CREATE TABLE dedup_overrides (
    id integer NOT NULL,
    action character varying(8) NOT NULL,
    item_a character varying(80) NOT NULL,
    item_b character varying(80),
    created_at timestamp with time zone NOT NULL,
    note text
);

CREATE SEQUENCE dedup_overrides_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE dedup_overrides_id_seq OWNED BY dedup_overrides.id;

CREATE TABLE geo_address_buurten (
    postcode character varying(6) NOT NULL,
    housenumber integer NOT NULL,
    buurt_code character varying(10) NOT NULL,
    wijk_code character varying(8) NOT NULL,
    label character varying(80) NOT NULL
);

CREATE TABLE geo_boundaries (
    id integer NOT NULL,
    version character varying(80) NOT NULL,
    buurt_code character varying(10) NOT NULL,
    buurt_name character varying(120) NOT NULL,
    wijk_code character varying(8) NOT NULL,
    wijk_name character varying(120),
    geometry_wkb text NOT NULL
);

CREATE SEQUENCE geo_boundaries_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE geo_boundaries_id_seq OWNED BY geo_boundaries.id;

CREATE TABLE geo_boundary_sets (
    version character varying(80) NOT NULL,
    source_file text NOT NULL,
    source_crs character varying(40) NOT NULL,
    feature_count integer NOT NULL,
    imported_at timestamp with time zone NOT NULL,
    active boolean NOT NULL
);

CREATE TABLE geo_region_stats (
    region_code character varying(10) NOT NULL,
    region_name character varying(120) NOT NULL,
    kind character varying(10) NOT NULL,
    inhabitants integer,
    households integer,
    area_ha double precision,
    label character varying(80) NOT NULL,
    imported_at timestamp with time zone NOT NULL
);

CREATE TABLE geocode_cache (
    key text NOT NULL,
    provider character varying(20) NOT NULL,
    query text NOT NULL,
    found boolean NOT NULL,
    lat double precision,
    lon double precision,
    buurt_code character varying(10),
    wijk_code character varying(8),
    display text,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE http_validators (
    url text NOT NULL,
    source_id character varying(64) NOT NULL,
    etag text,
    last_modified text,
    body_hash character varying(64),
    updated_at timestamp with time zone NOT NULL
);

CREATE TABLE items (
    id character varying(80) NOT NULL,
    source_id character varying(64) NOT NULL,
    source_key text NOT NULL,
    kind character varying(20) NOT NULL,
    title text NOT NULL,
    description_html text NOT NULL,
    description_text text NOT NULL,
    url text,
    organizer text,
    starts_at timestamp with time zone,
    ends_at timestamp with time zone,
    location_name text,
    address text,
    street text,
    housenumber character varying(20),
    postcode character varying(7),
    city text,
    lat double precision,
    lon double precision,
    source_lat double precision,
    source_lon double precision,
    categories text NOT NULL,
    image text,
    published_at timestamp with time zone,
    buurt_code character varying(10),
    buurt_name character varying(80),
    wijk_code character varying(8),
    geo_method character varying(40) NOT NULL,
    geo_confidence double precision NOT NULL,
    geo_matched text,
    geo_conflict text,
    boundary_version character varying(80),
    cluster_id character varying(40),
    content_hash character varying(64) NOT NULL,
    raw_hash character varying(64) NOT NULL,
    status character varying(12) NOT NULL,
    missing_runs integer NOT NULL,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    status_changed_at timestamp with time zone NOT NULL,
    last_run_id integer
);

CREATE TABLE merge_decisions (
    id integer NOT NULL,
    item_a character varying(80) NOT NULL,
    item_b character varying(80) NOT NULL,
    score double precision NOT NULL,
    decision character varying(16) NOT NULL,
    reasons text NOT NULL,
    decided_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE merge_decisions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE merge_decisions_id_seq OWNED BY merge_decisions.id;

CREATE TABLE runs (
    id integer NOT NULL,
    source_id character varying(64) NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    status character varying(16) NOT NULL,
    complete boolean NOT NULL,
    fetched integer NOT NULL,
    inserted integer NOT NULL,
    updated integer NOT NULL,
    unchanged integer NOT NULL,
    failed integer NOT NULL,
    expired integer NOT NULL,
    error text,
    dry_run boolean NOT NULL
);

CREATE SEQUENCE runs_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE runs_id_seq OWNED BY runs.id;

CREATE TABLE source_states (
    source_id character varying(64) NOT NULL,
    state character varying(12) NOT NULL,
    reason text,
    consecutive_failures integer NOT NULL,
    last_run_id integer,
    last_success_at timestamp with time zone,
    last_new_item_at timestamp with time zone,
    backoff_until timestamp with time zone,
    last_error text
);

CREATE TABLE status_changes (
    id integer NOT NULL,
    item_id character varying(80) NOT NULL,
    old_status character varying(12),
    new_status character varying(12) NOT NULL,
    at timestamp with time zone NOT NULL,
    reason text NOT NULL,
    run_id integer
);

CREATE SEQUENCE status_changes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE status_changes_id_seq OWNED BY status_changes.id;

ALTER TABLE ONLY dedup_overrides ALTER COLUMN id SET DEFAULT nextval('dedup_overrides_id_seq'::regclass);

ALTER TABLE ONLY geo_boundaries ALTER COLUMN id SET DEFAULT nextval('geo_boundaries_id_seq'::regclass);

ALTER TABLE ONLY merge_decisions ALTER COLUMN id SET DEFAULT nextval('merge_decisions_id_seq'::regclass);

ALTER TABLE ONLY runs ALTER COLUMN id SET DEFAULT nextval('runs_id_seq'::regclass);

ALTER TABLE ONLY status_changes ALTER COLUMN id SET DEFAULT nextval('status_changes_id_seq'::regclass);

ALTER TABLE ONLY clusters
    ADD CONSTRAINT clusters_pkey PRIMARY KEY (id);

ALTER TABLE ONLY counters
    ADD CONSTRAINT counters_pkey PRIMARY KEY (name);

ALTER TABLE ONLY dedup_overrides
    ADD CONSTRAINT dedup_overrides_pkey PRIMARY KEY (id);

ALTER TABLE ONLY geo_address_buurten
    ADD CONSTRAINT geo_address_buurten_pkey PRIMARY KEY (postcode, housenumber);

ALTER TABLE ONLY geo_boundaries
    ADD CONSTRAINT geo_boundaries_pkey PRIMARY KEY (id);

ALTER TABLE ONLY geo_boundary_sets
    ADD CONSTRAINT geo_boundary_sets_pkey PRIMARY KEY (version);

ALTER TABLE ONLY geo_region_stats
    ADD CONSTRAINT geo_region_stats_pkey PRIMARY KEY (region_code);

ALTER TABLE ONLY geocode_cache
    ADD CONSTRAINT geocode_cache_pkey PRIMARY KEY (key);

ALTER TABLE ONLY http_validators
    ADD CONSTRAINT http_validators_pkey PRIMARY KEY (url);

ALTER TABLE ONLY items
    ADD CONSTRAINT items_pkey PRIMARY KEY (id);

ALTER TABLE ONLY merge_decisions
    ADD CONSTRAINT merge_decisions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY runs
    ADD CONSTRAINT runs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY source_states
    ADD CONSTRAINT source_states_pkey PRIMARY KEY (source_id);

ALTER TABLE ONLY status_changes
    ADD CONSTRAINT status_changes_pkey PRIMARY KEY (id);

CREATE INDEX ix_clusters_buurt_code ON clusters USING btree (buurt_code);

CREATE INDEX ix_clusters_change ON clusters USING btree (change_seq, id);

CREATE INDEX ix_geo_boundaries_version ON geo_boundaries USING btree (version);

CREATE INDEX ix_http_validators_source_id ON http_validators USING btree (source_id);

CREATE INDEX ix_items_buurt_kind ON items USING btree (buurt_code, kind);

CREATE INDEX ix_items_cluster_id ON items USING btree (cluster_id);

CREATE INDEX ix_items_source_id ON items USING btree (source_id);

CREATE INDEX ix_items_source_status ON items USING btree (source_id, status);

CREATE INDEX ix_items_starts_at ON items USING btree (starts_at);

CREATE INDEX ix_merge_decisions_item_a ON merge_decisions USING btree (item_a);

CREATE INDEX ix_merge_decisions_item_b ON merge_decisions USING btree (item_b);

CREATE INDEX ix_runs_source_id ON runs USING btree (source_id);

CREATE INDEX ix_status_changes_item_id ON status_changes USING btree (item_id);

