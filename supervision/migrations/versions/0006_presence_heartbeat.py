"""presence heartbeat

Each server process holding live connections beats in `worker_heartbeats`; presence rows
name their process, so rows of a process that was killed can be told apart and cleared.
Presence rows from before are only about connections that no longer exist: dropped.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('worker_heartbeats',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_heartbeats'))
    )
    with op.batch_alter_table('worker_heartbeats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_heartbeats_seen_at'), ['seen_at'], unique=False)

    op.execute('DELETE FROM presence')
    with op.batch_alter_table('presence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker_id', sa.String(length=32), nullable=False))
        batch_op.create_index(batch_op.f('ix_presence_worker_id'), ['worker_id'], unique=False)


def downgrade():
    with op.batch_alter_table('presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presence_worker_id'))
        batch_op.drop_column('worker_id')

    with op.batch_alter_table('worker_heartbeats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_heartbeats_seen_at'))

    op.drop_table('worker_heartbeats')
