"""frozen records and entries added after sign-off

A signed-off family discussion keeps what its record held at sign-off; what comes later
is an amendment or an entry added after sign-off.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'frozen_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agenda_item_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agenda_item_id'),
    )
    op.create_table(
        'after_sign_off_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agenda_item_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('author_name', sa.String(length=120), nullable=False),
        sa.Column('author_role_label', sa.String(length=160), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('after_sign_off_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_after_sign_off_entries_agenda_item_id'), ['agenda_item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('after_sign_off_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_after_sign_off_entries_agenda_item_id'))
    op.drop_table('after_sign_off_entries')
    op.drop_table('frozen_records')
