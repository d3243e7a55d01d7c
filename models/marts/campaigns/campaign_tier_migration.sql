{#- Does the campaign move customers up, not only make them buy once? Per campaign × arm × profit tier before
    the campaign ('all' = every contact): the contacts' profit tier in customer_segment_history at the last
    snapshot before the start (orders before the start) and at the first snapshot on or after the last day of
    the response window, the share that moved up a tier (a lower tier_order) and down, and for treated arms
    the difference to the control group's share moved up with its 95% CI and two-sided p-value (the
    two-proportion statistics of campaign_results). Contacts without a completed order before the start are in
    tier 'none' and cannot move up. Campaigns outside the history's snapshots have has_snapshots = false and
    null counts. See docs/decisions.md#campaign-tier-migration. -#}

with

campaigns as (

    select * from {{ ref('stg_shop__campaigns') }}

),

contacts as (

    select * from {{ ref('int_campaign_contact_outcomes') }}

),

history as (

    select * from {{ ref('customer_segment_history') }}

),

snapshots as (

    select distinct snapshot_date
    from history

),

critical_values as (

    select {{ drilldown.normal_quantile(0.975) }} as z_975

),

campaign_windows as (

    select
        campaign_id,
        start_date,
        cast({{ dbt.dateadd('day', 'response_window_days - 1', 'start_date') }} as date) as last_window_date
    from campaigns

),

campaign_snapshots as (

    {#- before: the last snapshot strictly before the start; after: the first snapshot on or after the last
        window day. A left join keeps every campaign when there are no snapshots. #}
    select
        campaign_windows.campaign_id,
        max(case
            when snapshots.snapshot_date < campaign_windows.start_date then snapshots.snapshot_date
        end) as before_snapshot_date,
        min(case
            when snapshots.snapshot_date >= campaign_windows.last_window_date then snapshots.snapshot_date
        end) as after_snapshot_date
    from campaign_windows
    left join snapshots
        on 1 = 1
    group by campaign_windows.campaign_id

),

contact_moves as (

    select
        contacts.campaign_id,
        contacts.arm,
        contacts.is_control,
        campaign_snapshots.before_snapshot_date,
        campaign_snapshots.after_snapshot_date,
        campaign_snapshots.before_snapshot_date is not null
        and campaign_snapshots.after_snapshot_date is not null as has_snapshots,
        coalesce(before_tiers.profit_tier, 'none') as from_profit_tier,
        before_tiers.tier_order as from_tier_order,
        after_tiers.tier_order as to_tier_order
    from contacts
    inner join campaign_snapshots
        on contacts.campaign_id = campaign_snapshots.campaign_id
    left join history as before_tiers
        on
            contacts.customer_id = before_tiers.customer_id
            and campaign_snapshots.before_snapshot_date = before_tiers.snapshot_date
    left join history as after_tiers
        on
            contacts.customer_id = after_tiers.customer_id
            and campaign_snapshots.after_snapshot_date = after_tiers.snapshot_date

),

tier_groups as (

    select
        campaign_id,
        arm,
        is_control,
        before_snapshot_date,
        after_snapshot_date,
        has_snapshots,
        from_profit_tier,
        from_tier_order,
        to_tier_order
    from contact_moves
    union all
    select
        campaign_id,
        arm,
        is_control,
        before_snapshot_date,
        after_snapshot_date,
        has_snapshots,
        'all' as from_profit_tier,
        from_tier_order,
        to_tier_order
    from contact_moves

),

arm_counts as (

    select
        campaign_id,
        arm,
        is_control,
        from_profit_tier,
        max(before_snapshot_date) as before_snapshot_date,
        max(after_snapshot_date) as after_snapshot_date,
        {{ dbt.bool_or('has_snapshots') }} as has_snapshots,
        count(*) as contacts,
        sum(case when to_tier_order < from_tier_order then 1 else 0 end) as moved_up,
        sum(case when to_tier_order > from_tier_order then 1 else 0 end) as moved_down
    from tier_groups
    group by campaign_id, arm, is_control, from_profit_tier

),

with_control as (

    select
        arm_counts.*,
        control_counts.contacts as control_contacts,
        control_counts.moved_up as control_moved_up
    from arm_counts
    left join arm_counts as control_counts
        on
            arm_counts.campaign_id = control_counts.campaign_id
            and arm_counts.from_profit_tier = control_counts.from_profit_tier
            and control_counts.is_control
            and not arm_counts.is_control

),

compared as (

    select
        with_control.*,
        cast(with_control.moved_up as {{ drilldown.type_double() }})
        / cast(with_control.contacts as {{ drilldown.type_double() }}) as share_moved_up,
        cast(with_control.moved_down as {{ drilldown.type_double() }})
        / cast(with_control.contacts as {{ drilldown.type_double() }}) as share_moved_down,
        cast(with_control.control_moved_up as {{ drilldown.type_double() }})
        / nullif(cast(with_control.control_contacts as {{ drilldown.type_double() }}), 0) as control_share_moved_up,
        {{ drilldown.two_proportion_z(
            'with_control.moved_up', 'with_control.contacts', 'with_control.control_moved_up', 'with_control.control_contacts'
        ) }} as move_up_z,
        {{ drilldown.two_proportion_diff_se(
            'with_control.moved_up', 'with_control.contacts', 'with_control.control_moved_up', 'with_control.control_contacts'
        ) }} as move_up_diff_se,
        critical_values.z_975
    from with_control
    cross join critical_values

),

final as (

    select
        campaign_id,
        cast(arm as {{ dbt.type_string() }}) as arm,
        is_control,
        cast(from_profit_tier as {{ dbt.type_string() }}) as from_profit_tier,
        before_snapshot_date,
        after_snapshot_date,
        has_snapshots,
        cast(contacts as integer) as contacts,
        cast(case when has_snapshots then moved_up end as integer) as moved_up,
        cast(case when has_snapshots then moved_down end as integer) as moved_down,
        case when has_snapshots then share_moved_up end as share_moved_up,
        case when has_snapshots then share_moved_down end as share_moved_down,
        case when has_snapshots then control_share_moved_up end as control_share_moved_up,
        case when has_snapshots then share_moved_up - control_share_moved_up end as share_moved_up_diff,
        case when has_snapshots then share_moved_up - control_share_moved_up - z_975 * move_up_diff_se end
            as share_moved_up_diff_ci95_lower,
        case when has_snapshots then share_moved_up - control_share_moved_up + z_975 * move_up_diff_se end
            as share_moved_up_diff_ci95_upper,
        case when has_snapshots then {{ drilldown.normal_two_sided_p_value('move_up_z') }} end
            as share_moved_up_p_value
    from compared

)

select * from final
