"""team cadences

How often each team discusses a family at each plan level, in weeks. Teams with no rows
use the defaults in domain/cadence.py.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'team_cadences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('plan_level', sa.String(length=40), nullable=False),
        sa.Column('weeks', sa.Integer(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('team_id', 'plan_level'),
    )
    with op.batch_alter_table('team_cadences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_cadences_team_id'), ['team_id'], unique=False)


def downgrade():
    with op.batch_alter_table('team_cadences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_cadences_team_id'))
    op.drop_table('team_cadences')
