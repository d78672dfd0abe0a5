import GRDB

/// The policy store's schema, one migration per version; a released migration is never edited
/// (docs/storage.md). Enumerations are stored by their names (`any`, `dummy`, `password`);
/// a policy's settings as the encoded settings message of its type, so a new type needs no
/// new table. Deleting a flow, a stage binding, a prompt stage or a policy deletes what
/// refers to it (foreign keys, ON DELETE CASCADE), as authentik does.
enum PolicyStoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-policies", migrate: create)
        return migrator
    }

    private static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE policy (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
                type TEXT NOT NULL CHECK (length(type) > 0),
                settings BLOB NOT NULL,
                execution_logging INTEGER NOT NULL CHECK (execution_logging IN (0, 1)),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE TABLE flow (
                slug TEXT PRIMARY KEY CHECK (length(slug) > 0),
                name TEXT NOT NULL,
                designation TEXT NOT NULL,
                engine_mode TEXT NOT NULL CHECK (engine_mode IN ('any', 'all'))
            );
            CREATE TABLE prompt_stage (
                name TEXT PRIMARY KEY CHECK (length(name) > 0)
            );
            CREATE TABLE prompt_field (
                stage TEXT NOT NULL REFERENCES prompt_stage(name) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                field_key TEXT NOT NULL,
                label TEXT NOT NULL,
                type TEXT NOT NULL,
                required INTEGER NOT NULL CHECK (required IN (0, 1)),
                PRIMARY KEY (stage, position),
                UNIQUE (stage, field_key)
            );
            CREATE TABLE stage_binding (
                id TEXT PRIMARY KEY CHECK (length(id) = 32),
                flow TEXT NOT NULL REFERENCES flow(slug) ON DELETE CASCADE,
                stage TEXT NOT NULL,
                stage_kind TEXT NOT NULL CHECK (stage_kind IN ('password', 'prompt')),
                -- The prompt stage, for kind prompt (so deleting it deletes its place in flows).
                prompt_stage TEXT REFERENCES prompt_stage(name) ON DELETE CASCADE,
                "order" INTEGER NOT NULL,
                evaluate_on_plan INTEGER NOT NULL CHECK (evaluate_on_plan IN (0, 1)),
                re_evaluate_policies INTEGER NOT NULL CHECK (re_evaluate_policies IN (0, 1)),
                engine_mode TEXT NOT NULL CHECK (engine_mode IN ('any', 'all')),
                UNIQUE (flow, stage_kind, stage, "order"),
                CHECK ((stage_kind = 'prompt') = (prompt_stage IS NOT NULL AND prompt_stage = stage))
            );
            CREATE INDEX stage_binding_prompt_stage ON stage_binding(prompt_stage);
            CREATE TABLE binding (
                id TEXT PRIMARY KEY CHECK (length(id) = 32),
                target_flow TEXT REFERENCES flow(slug) ON DELETE CASCADE,
                target_stage_binding TEXT REFERENCES stage_binding(id) ON DELETE CASCADE,
                target_prompt_stage TEXT REFERENCES prompt_stage(name) ON DELETE CASCADE,
                policy INTEGER REFERENCES policy(id) ON DELETE CASCADE,
                user_id TEXT,
                group_name TEXT,
                "order" INTEGER NOT NULL,
                enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                negate INTEGER NOT NULL CHECK (negate IN (0, 1)),
                timeout_seconds INTEGER NOT NULL CHECK (timeout_seconds BETWEEN 1 AND 3600),
                failure_result INTEGER NOT NULL CHECK (failure_result IN (0, 1)),
                CHECK ((target_flow IS NOT NULL) + (target_stage_binding IS NOT NULL) + (target_prompt_stage IS NOT NULL) = 1),
                CHECK ((policy IS NOT NULL) + (user_id IS NOT NULL) + (group_name IS NOT NULL) = 1)
            );
            CREATE UNIQUE INDEX binding_policy_target_order ON binding(
                policy, coalesce('f:' || target_flow, 's:' || target_stage_binding, 'p:' || target_prompt_stage), "order")
                WHERE policy IS NOT NULL;
            CREATE INDEX binding_target_flow ON binding(target_flow);
            CREATE INDEX binding_target_stage_binding ON binding(target_stage_binding);
            CREATE INDEX binding_target_prompt_stage ON binding(target_prompt_stage);
            CREATE INDEX binding_policy ON binding(policy);
            """)
    }
}
