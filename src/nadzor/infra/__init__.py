"""Infrastructure every context uses and none owns: the database (engine, unit of work, migrations,
the one metadata), input errors, the actor and the policy of who may do what, lists, files, documents."""
