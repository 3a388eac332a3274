// ClubNotify: the door that speaks first (DESIGN §10, docs/design.md §10). The store writes
// notifications into its outbox in the same transaction as the change; the services here read
// the outbox and deliver it by e-mail (Mail/) and by signed webhooks (Webhooks/).
