"""The audit trail: the hash-chained log written inside every unit of work, its verification and
checkpoints, the trail's page and each record's «История» tab."""
