"""Operations, apart from the conversations and from delivery: metrics, backups, and the
operator's probe of a running bot."""
