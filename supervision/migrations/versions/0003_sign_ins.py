"""sign-ins kept on the server

A sign-in is a row: the session cookie names it by a secret whose hash is stored here.
Signing out, "sign out everywhere", deactivation and the idle timeout end the row, so a
copy of an old cookie no longer works anywhere. Presence remembers which sign-in each
board connection came from, so ending a sign-in takes its connections off their boards.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_ins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_reason', sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_ins_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_sign_ins_token_hash')),
    )
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_ins_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('presence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_in_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_presence_sign_in_id'), ['sign_in_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_presence_sign_in_id_sign_ins'), 'sign_ins', ['sign_in_id'], ['id'],
                                    ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('presence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_presence_sign_in_id_sign_ins'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_presence_sign_in_id'))
        batch_op.drop_column('sign_in_id')
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_ins_user_id'))
    op.drop_table('sign_ins')
