"""people and single sign-on

A person's identity at the council's OpenID provider, the authority-wide administrator
flag, and one-time links for setting a local password.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('external_subject', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('is_administrator', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_unique_constraint(op.f('uq_users_external_subject'), ['external_subject'])
    op.create_table(
        'password_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_links_user_id_users')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_password_links_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_password_links_token_hash')),
    )
    op.create_index(op.f('ix_password_links_user_id'), 'password_links', ['user_id'])


def downgrade():
    op.drop_index(op.f('ix_password_links_user_id'), table_name='password_links')
    op.drop_table('password_links')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(op.f('uq_users_external_subject'), type_='unique')
        batch.drop_column('is_administrator')
        batch.drop_column('external_subject')
