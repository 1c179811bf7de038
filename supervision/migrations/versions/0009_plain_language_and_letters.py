"""plain language and letters to families

A team's own plain-language phrases and the listed ones it has switched off; letters to
families drafted from a signed record; which kind of document an export log row is.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('team_phrases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('default_key', sa.String(length=60), nullable=True),
    sa.Column('switched_off', sa.Boolean(), nullable=False),
    sa.Column('forms', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('instead', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_team_phrases_changed_by_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_phrases_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_phrases')),
    sa.UniqueConstraint('team_id', 'default_key', name=op.f('uq_team_phrases_team_id_default_key'))
    )
    with op.batch_alter_table('team_phrases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_phrases_team_id'), ['team_id'], unique=False)

    op.create_table('family_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=False),
    sa.Column('drafted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finalised_by_id', sa.Integer(), nullable=True),
    sa.Column('finalised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('export_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_family_letters_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_family_letters_drafted_by_id_users')),
    sa.ForeignKeyConstraint(['export_id'], ['export_log.id'], name=op.f('fk_family_letters_export_id_export_log'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_family_letters_family_id_families')),
    sa.ForeignKeyConstraint(['finalised_by_id'], ['users.id'], name=op.f('fk_family_letters_finalised_by_id_users')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_family_letters_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_letters')),
    sa.UniqueConstraint('agenda_item_id', name=op.f('uq_family_letters_agenda_item_id'))
    )
    with op.batch_alter_table('family_letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_letters_family_id'), ['family_id'], unique=False)

    with op.batch_alter_table('export_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='record', nullable=False))


def downgrade():
    with op.batch_alter_table('export_log', schema=None) as batch_op:
        batch_op.drop_column('kind')
    with op.batch_alter_table('family_letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_letters_family_id'))
    op.drop_table('family_letters')
    with op.batch_alter_table('team_phrases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_phrases_team_id'))
    op.drop_table('team_phrases')
