"""The learner's side: accounts, claiming, the wallet, sharing, presentations, verification."""
