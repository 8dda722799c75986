/// The tables of docs/architecture.md, "Data": the 19 of the original design and those the flows added.
/// Ids are UUID text, times are TIMESTAMPTZ (UTC), money is BIGINT minor units beside a currency.
extension Migration {
    static let initialSchema = Migration(version: 1, name: "initial_schema", statements: [
        // MARK: People and sign-in
        """
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            pid_hash TEXT NOT NULL,
            name TEXT,
            given_name TEXT,
            family_name TEXT,
            birthdate TEXT,
            phone TEXT,
            email TEXT,
            role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'merchant', 'admin')),
            kyc_status TEXT NOT NULL DEFAULT 'none' CHECK (kyc_status IN ('none', 'pending', 'approved', 'rejected', 'retry')),
            kyc_applicant_id TEXT,
            risk_level TEXT NOT NULL DEFAULT 'low' CHECK (risk_level IN ('low', 'medium', 'high')),
            is_pep BOOLEAN NOT NULL DEFAULT FALSE,
            is_sanctioned BOOLEAN NOT NULL DEFAULT FALSE,
            locale TEXT NOT NULL DEFAULT 'nb' CHECK (locale IN ('nb', 'en')),
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            deleted_at TIMESTAMPTZ,
            retain_until TIMESTAMPTZ
        )
        """,
        // Erased customers keep their pid hash for AML retention; a returning person gets a new row.
        "CREATE UNIQUE INDEX users_pid_hash_active ON users (pid_hash) WHERE deleted_at IS NULL",
        "CREATE INDEX users_pid_hash ON users (pid_hash)",
        "CREATE UNIQUE INDEX users_kyc_applicant ON users (kyc_applicant_id)",
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            client TEXT NOT NULL CHECK (client IN ('web', 'mobile')),
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            last_seen_at TIMESTAMPTZ,
            revoked_at TIMESTAMPTZ
        )
        """,
        "CREATE INDEX sessions_user ON sessions (user_id)",
        """
        CREATE TABLE oidc_logins (
            id TEXT PRIMARY KEY,
            state TEXT NOT NULL UNIQUE,
            nonce TEXT NOT NULL,
            code_verifier TEXT NOT NULL,
            client TEXT NOT NULL CHECK (client IN ('web', 'mobile')),
            redirect_path TEXT,
            app_code_challenge TEXT,
            app_code_hash TEXT UNIQUE,
            app_code_expires_at TIMESTAMPTZ,
            user_id TEXT REFERENCES users (id),
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            consumed_at TIMESTAMPTZ,
            app_code_used_at TIMESTAMPTZ
        )
        """,
        "CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at)",
        """
        CREATE TABLE settings (
            user_id TEXT NOT NULL REFERENCES users (id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (user_id, key)
        )
        """,
        """
        CREATE TABLE consents (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            type TEXT NOT NULL CHECK (type IN ('terms', 'privacy', 'marketing')),
            version TEXT NOT NULL,
            granted BOOLEAN NOT NULL,
            recorded_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX consents_user_type ON consents (user_id, type, recorded_at)",
        """
        CREATE TABLE screening_results (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            provider TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('pep', 'sanctions', 'adverse_media', 'watchlist')),
            hit BOOLEAN NOT NULL,
            details TEXT,
            screened_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX screening_results_user ON screening_results (user_id, screened_at)",

        // MARK: Banks (AIS)
        """
        CREATE TABLE bank_consents (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            bank_id TEXT NOT NULL,
            provider_consent_id TEXT NOT NULL,
            status TEXT NOT NULL,
            valid_until TEXT,
            frequency_per_day INTEGER NOT NULL DEFAULT 4,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            last_action_at TIMESTAMPTZ,
            UNIQUE (bank_id, provider_consent_id)
        )
        """,
        "CREATE INDEX bank_consents_user ON bank_consents (user_id)",
        """
        CREATE TABLE bank_accounts (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            consent_id TEXT NOT NULL REFERENCES bank_consents (id),
            bank_id TEXT NOT NULL,
            provider_account_id TEXT NOT NULL,
            iban TEXT,
            bban TEXT,
            bic TEXT,
            name TEXT,
            currency TEXT NOT NULL,
            balance_minor BIGINT,
            balance_synced_at TIMESTAMPTZ,
            status TEXT NOT NULL DEFAULT 'active',
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            deleted_at TIMESTAMPTZ,
            UNIQUE (consent_id, provider_account_id)
        )
        """,
        "CREATE INDEX bank_accounts_user ON bank_accounts (user_id)",

        // MARK: Remittance and QR payments
        """
        CREATE TABLE recipients (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            currency TEXT NOT NULL,
            iban TEXT,
            account_number TEXT,
            bic TEXT,
            bank_name TEXT,
            address_street TEXT,
            address_post_code TEXT,
            address_city TEXT,
            address_country TEXT,
            relationship TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            deleted_at TIMESTAMPTZ
        )
        """,
        "CREATE INDEX recipients_user ON recipients (user_id, created_at)",
        """
        CREATE TABLE merchants (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            code TEXT NOT NULL UNIQUE,
            organisation_number TEXT NOT NULL,
            name TEXT NOT NULL,
            mcc TEXT NOT NULL,
            city TEXT NOT NULL,
            settlement_account TEXT NOT NULL,
            verified BOOLEAN NOT NULL DEFAULT FALSE,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            UNIQUE (user_id, organisation_number)
        )
        """,
        """
        CREATE TABLE exchange_rates (
            id TEXT PRIMARY KEY,
            base TEXT NOT NULL,
            quote TEXT NOT NULL,
            rate TEXT NOT NULL,
            as_of TEXT NOT NULL,
            source TEXT NOT NULL,
            fetched_at TIMESTAMPTZ NOT NULL,
            UNIQUE (base, quote, as_of, source)
        )
        """,
        "CREATE INDEX exchange_rates_latest ON exchange_rates (base, quote, as_of)",
        """
        CREATE TABLE quotes (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            country TEXT NOT NULL,
            send_minor BIGINT NOT NULL,
            send_currency TEXT NOT NULL,
            fee_minor BIGINT NOT NULL,
            total_minor BIGINT NOT NULL,
            receive_minor BIGINT NOT NULL,
            receive_currency TEXT NOT NULL,
            rate TEXT NOT NULL,
            rate_as_of TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            used_at TIMESTAMPTZ
        )
        """,
        "CREATE INDEX quotes_user ON quotes (user_id, created_at)",
        """
        CREATE TABLE payouts (
            id TEXT PRIMARY KEY,
            message_id TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            currency TEXT NOT NULL,
            transaction_count INTEGER NOT NULL,
            control_sum_minor BIGINT NOT NULL,
            pain001 TEXT NOT NULL,
            pain002 TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            sent_at TIMESTAMPTZ,
            updated_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE transactions (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            kind TEXT NOT NULL CHECK (kind IN ('remittance', 'qr_payment')),
            status TEXT NOT NULL CHECK (status IN ('pending_sca', 'processing', 'held', 'completed', 'failed', 'cancelled', 'expired', 'refunded')),
            amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
            currency TEXT NOT NULL,
            fee_minor BIGINT NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
            total_minor BIGINT NOT NULL,
            target_amount_minor BIGINT,
            target_currency TEXT,
            rate TEXT,
            recipient_id TEXT REFERENCES recipients (id),
            merchant_id TEXT REFERENCES merchants (id),
            bank_account_id TEXT REFERENCES bank_accounts (id),
            quote_id TEXT REFERENCES quotes (id),
            payout_id TEXT REFERENCES payouts (id),
            idempotency_key TEXT,
            reference TEXT,
            message TEXT,
            end_to_end_id TEXT NOT NULL UNIQUE,
            pisp_payment_id TEXT,
            sca_redirect TEXT,
            sca_expires_at TIMESTAMPTZ,
            failure_reason TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            completed_at TIMESTAMPTZ,
            UNIQUE (user_id, idempotency_key),
            CHECK ((kind = 'remittance' AND recipient_id IS NOT NULL) OR (kind = 'qr_payment' AND merchant_id IS NOT NULL))
        )
        """,
        "CREATE INDEX transactions_user_created ON transactions (user_id, created_at)",
        "CREATE INDEX transactions_merchant_created ON transactions (merchant_id, created_at)",
        "CREATE INDEX transactions_status ON transactions (status, updated_at)",
        "CREATE INDEX transactions_pisp_payment ON transactions (pisp_payment_id)",
        "CREATE INDEX transactions_payout ON transactions (payout_id)",
        """
        CREATE TABLE transaction_events (
            id TEXT PRIMARY KEY,
            transaction_id TEXT NOT NULL REFERENCES transactions (id),
            from_status TEXT,
            to_status TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX transaction_events_transaction ON transaction_events (transaction_id, at)",
        """
        CREATE TABLE spending_limits (
            user_id TEXT NOT NULL REFERENCES users (id),
            period TEXT NOT NULL CHECK (period IN ('daily', 'monthly')),
            amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
            currency TEXT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (user_id, period)
        )
        """,
        """
        CREATE TABLE cards (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            status TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE notifications (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            data TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            read_at TIMESTAMPTZ
        )
        """,
        "CREATE INDEX notifications_user ON notifications (user_id, created_at)",

        // MARK: Compliance
        """
        CREATE TABLE audit_log (
            seq BIGINT PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            at TIMESTAMPTZ NOT NULL,
            actor_type TEXT NOT NULL,
            actor_id TEXT,
            action TEXT NOT NULL,
            entity_type TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            data TEXT NOT NULL,
            request_id TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )
        """,
        "CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id)",
        "CREATE INDEX audit_log_at ON audit_log (at)",
        // One row holding the chain's head: appending locks it, so the chain never forks.
        """
        CREATE TABLE audit_chain_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq BIGINT NOT NULL,
            hash TEXT NOT NULL
        )
        """,
        "INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
        """
        CREATE TABLE aml_alerts (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            transaction_id TEXT REFERENCES transactions (id),
            rule TEXT NOT NULL,
            score INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'dismissed', 'escalated')),
            details TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            resolved_at TIMESTAMPTZ,
            resolved_by TEXT REFERENCES users (id),
            resolution_reason TEXT
        )
        """,
        "CREATE INDEX aml_alerts_status ON aml_alerts (status, created_at)",
        "CREATE INDEX aml_alerts_user ON aml_alerts (user_id)",
        """
        CREATE TABLE str_reports (
            id TEXT PRIMARY KEY,
            alert_id TEXT REFERENCES aml_alerts (id),
            user_id TEXT NOT NULL REFERENCES users (id),
            status TEXT NOT NULL CHECK (status IN ('draft', 'filed')),
            reason TEXT NOT NULL,
            action TEXT NOT NULL,
            created_by TEXT NOT NULL REFERENCES users (id),
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            filed_at TIMESTAMPTZ,
            fiu_reference TEXT
        )
        """,
        """
        CREATE TABLE data_access_requests (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            kind TEXT NOT NULL CHECK (kind IN ('access', 'erasure', 'rectification', 'restriction', 'objection')),
            status TEXT NOT NULL CHECK (status IN ('open', 'completed', 'rejected')),
            details TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            due_at TIMESTAMPTZ NOT NULL,
            completed_at TIMESTAMPTZ
        )
        """,
        "CREATE INDEX data_access_requests_user ON data_access_requests (user_id)",
        """
        CREATE TABLE complaints (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            transaction_id TEXT REFERENCES transactions (id),
            subject TEXT NOT NULL,
            description TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'rejected')),
            created_at TIMESTAMPTZ NOT NULL,
            due_at TIMESTAMPTZ NOT NULL,
            resolved_at TIMESTAMPTZ,
            resolution TEXT
        )
        """,
        "CREATE INDEX complaints_user ON complaints (user_id)",

        // MARK: Plumbing
        """
        CREATE TABLE rate_limits (
            key TEXT NOT NULL,
            window_start BIGINT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (key, window_start)
        )
        """,
        "CREATE INDEX rate_limits_window ON rate_limits (window_start)",
        """
        CREATE TABLE idempotency_keys (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed')),
            response_status INTEGER,
            response_body TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (scope, key)
        )
        """,
        "CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at)",
        """
        CREATE TABLE webhook_events (
            provider TEXT NOT NULL,
            event_id TEXT NOT NULL,
            received_at TIMESTAMPTZ NOT NULL,
            payload_sha256 TEXT NOT NULL,
            PRIMARY KEY (provider, event_id)
        )
        """,
        """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
            run_at TIMESTAMPTZ NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL,
            locked_by TEXT,
            locked_until TIMESTAMPTZ,
            last_error TEXT,
            dedupe_key TEXT UNIQUE,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX jobs_claim ON jobs (status, run_at)",
    ])
}
