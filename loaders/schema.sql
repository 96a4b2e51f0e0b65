-- PMO Lens canonical schema (docs/architecture.md §4).
--
-- Every data table carries:
--   provenance  load_id, source_file, source_sheet, source_row (1-based, as the spreadsheet shows it)
--   history     valid_from (the as-of date of the load that wrote this version),
--               valid_to   (the as-of date of the load that replaced it; NULL = current version),
--               row_hash   (hash of the business columns: an unchanged reload writes nothing)
-- "As of D" = valid_from <= D AND (valid_to IS NULL OR valid_to > D).
-- Dates are DATE, money DOUBLE in the configured currency, percentages fractions 0-1,
-- RAG one of 'green' | 'amber' | 'red' (NULL = unknown).

CREATE TABLE IF NOT EXISTS schema_info (
    schema_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS projects (
    project_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    division VARCHAR NOT NULL,
    portfolio VARCHAR,
    programme VARCHAR,
    sponsor VARCHAR,
    project_manager VARCHAR,
    stage VARCHAR,
    start_date DATE,
    baseline_finish DATE,
    forecast_finish DATE,
    actual_finish DATE,
    budget DOUBLE,
    actual_cost DOUBLE,
    forecast_cost DOUBLE,
    percent_complete DOUBLE,
    strategic_alignment INTEGER,
    reported_rag VARCHAR,
    load_id INTEGER NOT NULL, source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER NOT NULL,
    valid_from DATE NOT NULL, valid_to DATE, row_hash UBIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS status_reports (
    project_id VARCHAR NOT NULL,
    report_date DATE NOT NULL,
    overall_rag VARCHAR,
    schedule_rag VARCHAR,
    cost_rag VARCHAR,
    scope_rag VARCHAR,
    resource_rag VARCHAR,
    percent_complete DOUBLE,
    actual_cost DOUBLE,
    forecast_finish DATE,
    forecast_cost DOUBLE,
    summary VARCHAR,
    next_steps VARCHAR,
    reported_by VARCHAR,
    load_id INTEGER NOT NULL, source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER NOT NULL,
    valid_from DATE NOT NULL, valid_to DATE, row_hash UBIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS milestones (
    project_id VARCHAR NOT NULL,
    milestone VARCHAR NOT NULL,
    baseline_date DATE NOT NULL,
    forecast_date DATE,
    actual_date DATE,
    load_id INTEGER NOT NULL, source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER NOT NULL,
    valid_from DATE NOT NULL, valid_to DATE, row_hash UBIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS work_items (
    project_id VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,          -- the tool's id, or 'row-<n>' when the export has none
    name VARCHAR NOT NULL,
    parent VARCHAR,
    item_type VARCHAR,
    status VARCHAR,
    status_category VARCHAR,           -- todo | doing | done
    assignee VARCHAR,
    start_date DATE,
    finish_date DATE,
    baseline_start DATE,
    baseline_finish DATE,
    percent_complete DOUBLE,
    is_milestone BOOLEAN,
    estimate_hours DOUBLE,
    spent_hours DOUBLE,
    sprints VARCHAR,                   -- repeated Sprint columns joined with ' | '
    load_id INTEGER NOT NULL, source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER NOT NULL,
    valid_from DATE NOT NULL, valid_to DATE, row_hash UBIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS raid (
    raid_id VARCHAR NOT NULL,
    project_id VARCHAR NOT NULL,
    raid_type VARCHAR NOT NULL,        -- risk | assumption | issue | dependency
    title VARCHAR,
    probability DOUBLE,                -- 0-1
    impact DOUBLE,                     -- 1-5
    severity VARCHAR,                  -- low | medium | high | critical
    status VARCHAR,                    -- open | closed
    owner VARCHAR,
    raised_date DATE,
    due_date DATE,
    load_id INTEGER NOT NULL, source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER NOT NULL,
    valid_from DATE NOT NULL, valid_to DATE, row_hash UBIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS requests (
    request_id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    division VARCHAR NOT NULL,
    sponsor VARCHAR,
    submitted_date DATE,
    status VARCHAR,                    -- submitted | under_review | approved | rejected | deferred
    estimated_cost DOUBLE,
    expected_benefit DOUBLE,
    strategic_alignment INTEGER,       -- 1-5
    urgency INTEGER,                   -- 1-5
    risk INTEGER,                      -- 1-5 (delivery risk; higher = riskier)
    reach DOUBLE,                      -- people/customers affected per quarter (RICE)
    confidence DOUBLE,                 -- 0-1 (RICE)
    effort_person_months DOUBLE,
    duration_months INTEGER,
    mandatory BOOLEAN,
    target_start DATE,
    business_case VARCHAR,
    load_id INTEGER NOT NULL, source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER NOT NULL,
    valid_from DATE NOT NULL, valid_to DATE, row_hash UBIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS resources (
    resource_id VARCHAR NOT NULL,
    name VARCHAR,
    role VARCHAR NOT NULL,
    team VARCHAR,
    division VARCHAR,
    fte DOUBLE,                        -- 0-1
    cost_rate DOUBLE,                  -- per day
    start_date DATE,
    end_date DATE,
    load_id INTEGER NOT NULL, source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER NOT NULL,
    valid_from DATE NOT NULL, valid_to DATE, row_hash UBIGINT NOT NULL
);

-- Demand of a project or request for a named person or a role, per month (first day of the month).
-- Key: (coalesce(project_id, request_id), coalesce(resource_id, role), month).
CREATE TABLE IF NOT EXISTS allocations (
    project_id VARCHAR,
    request_id VARCHAR,
    resource_id VARCHAR,
    role VARCHAR,
    month DATE NOT NULL,
    fte DOUBLE,
    hours DOUBLE,
    load_id INTEGER NOT NULL, source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER NOT NULL,
    valid_from DATE NOT NULL, valid_to DATE, row_hash UBIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS timesheets (
    resource_id VARCHAR NOT NULL,
    project_id VARCHAR NOT NULL,
    work_date DATE NOT NULL,
    hours DOUBLE NOT NULL,
    load_id INTEGER NOT NULL, source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER NOT NULL,
    valid_from DATE NOT NULL, valid_to DATE, row_hash UBIGINT NOT NULL
);

-- Decisions and actions recorded at the monthly review (loaders/app_writes.py): one row per
-- submission, written through the versioned publish path with the user and time as provenance.
CREATE TABLE IF NOT EXISTS decisions (
    decision_id VARCHAR NOT NULL,
    subject_type VARCHAR NOT NULL,     -- request | project | action (one action done) | review (summary)
    subject_id VARCHAR NOT NULL,       -- an action's decision_id; a summary's "2026-11-30|Finance"
    division VARCHAR,                  -- the subject's division when it was recorded
    decision VARCHAR NOT NULL,         -- approve | defer | reject | action | done | summary
    owner VARCHAR,
    due_date DATE,
    note VARCHAR,
    decided_by VARCHAR NOT NULL,
    decided_at TIMESTAMP NOT NULL,
    load_id INTEGER NOT NULL, source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER NOT NULL,
    valid_from DATE NOT NULL, valid_to DATE, row_hash UBIGINT NOT NULL
);

-- One row per file a load attempted, failed and replayed ones included.
CREATE TABLE IF NOT EXISTS load_runs (
    load_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR,
    file_size BIGINT,
    file_format VARCHAR,               -- xlsx | xls | csv | ...
    encoding VARCHAR,
    delimiter VARCHAR,
    as_of DATE NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,           -- committed | failed | aborted
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    rows_ignored BIGINT NOT NULL,
    message VARCHAR NOT NULL,
    data_version INTEGER               -- the published version this load first appeared in
);

-- One row per sheet of a loaded file (a CSV has one sheet, named NULL).
CREATE TABLE IF NOT EXISTS load_sheets (
    load_id INTEGER NOT NULL,
    sheet_no INTEGER NOT NULL,
    sheet VARCHAR,
    kind VARCHAR,                      -- canonical table, or NULL when the sheet was ignored
    header_row INTEGER,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    rows_ignored BIGINT NOT NULL,
    columns_json VARCHAR NOT NULL,     -- {"source header": "canonical column"}
    unmapped_json VARCHAR NOT NULL,    -- ["source header", ...]
    message VARCHAR NOT NULL,
    template_version INTEGER,          -- PMO Lens template version of the file, NULL otherwise
    PRIMARY KEY (load_id, sheet_no)
);
-- Versions stored before templates existed gain the column (NULL: not from a template).
ALTER TABLE load_sheets ADD COLUMN IF NOT EXISTS template_version INTEGER;

CREATE TABLE IF NOT EXISTS rejected_rows (
    load_id INTEGER NOT NULL,
    source_file VARCHAR NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER NOT NULL,
    column_name VARCHAR,
    value VARCHAR,
    rule VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    raw_json VARCHAR NOT NULL          -- the whole source row, header -> raw text
);

CREATE TABLE IF NOT EXISTS ignored_rows (
    load_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER NOT NULL,
    reason VARCHAR NOT NULL            -- blank | totals row | repeated header | ...
);

-- Rows whose project is not (yet) in the register: loaded, and shown on the data-quality view.
CREATE OR REPLACE VIEW orphan_rows AS
    SELECT 'status_reports' AS source_table, s.project_id, s.load_id, s.source_file, s.source_sheet, s.source_row
    FROM status_reports s
    WHERE s.valid_to IS NULL AND s.project_id NOT IN (SELECT project_id FROM projects)
    UNION ALL
    SELECT 'milestones', m.project_id, m.load_id, m.source_file, m.source_sheet, m.source_row
    FROM milestones m
    WHERE m.valid_to IS NULL AND m.project_id NOT IN (SELECT project_id FROM projects)
    UNION ALL
    SELECT 'raid', r.project_id, r.load_id, r.source_file, r.source_sheet, r.source_row
    FROM raid r
    WHERE r.valid_to IS NULL AND r.project_id NOT IN (SELECT project_id FROM projects)
    UNION ALL
    SELECT 'work_items', w.project_id, w.load_id, w.source_file, w.source_sheet, w.source_row
    FROM work_items w
    WHERE w.valid_to IS NULL AND w.project_id NOT IN (SELECT project_id FROM projects)
    UNION ALL
    SELECT 'allocations', a.project_id, a.load_id, a.source_file, a.source_sheet, a.source_row
    FROM allocations a
    WHERE a.valid_to IS NULL AND a.project_id IS NOT NULL
      AND a.project_id NOT IN (SELECT project_id FROM projects);
