{#- Every raw campaign plan row, typed, with the reasons it cannot be forecast. campaign_plans is optional as
    a whole. Validation needs the staged campaigns (based_on_campaign_id) and the rfm_segments seed (every
    item of target_segments must be a segment there). -#}
{%- set input = drilldown.input_source('raw_campaign_plans') -%}
{%- set max_target_segments = 50 -%}
{%- set double = drilldown.type_double() -%}

with

source as (

    {#- Every column of the input contract (_staging__sources.yml) as raw_<name>, from the user's table and
        columns (vars drilldown_*), null when an optional column is absent; no row when the input is not read. -#}
    {{ drilldown.input_source_select(input) }}

),

campaigns as (

    select * from {{ ref('stg_shop__campaigns') }}

),

segments as (

    select * from {{ ref('rfm_segments') }}

),

typed as (

    select
        nullif(trim(cast(raw_plan_id as {{ dbt.type_string() }})), '') as plan_id,
        nullif(trim(cast(raw_plan_name as {{ dbt.type_string() }})), '') as plan_name,
        {{ drilldown.parse_raw('raw_starts_at', 'timestamp') }} as starts_at,
        {{ drilldown.parse_raw('raw_response_window_days', 'integer') }} as response_window_days,
        {{ drilldown.normalized_list('raw_target_segments') }} as target_segments,
        {{ drilldown.parse_raw('raw_min_probability_ordering', 'decimal') }} as min_probability_ordering_parsed,
        {{ drilldown.parse_raw('raw_max_contacts', 'integer') }} as max_contacts_parsed,
        {{ drilldown.parse_raw('raw_cost_per_contact', 'decimal') }} as cost_per_contact_parsed,
        {{ drilldown.parse_raw('raw_fixed_cost', 'decimal') }} as fixed_cost_parsed,
        {{ drilldown.parse_raw('raw_offer_discount_pct', 'decimal') }} as offer_discount_pct_parsed,
        {{ drilldown.parse_raw('raw_margin_rate', 'decimal') }} as margin_rate_parsed,
        nullif(trim(cast(raw_based_on_campaign_id as {{ dbt.type_string() }})), '') as based_on_campaign_id,
        {{ drilldown.parse_raw('raw_assumed_relative_lift', 'decimal') }} as assumed_relative_lift_parsed,
        cast(raw_plan_id as {{ dbt.type_string() }}) as raw_plan_id,
        cast(raw_starts_at as {{ dbt.type_string() }}) as raw_starts_at,
        cast(raw_response_window_days as {{ dbt.type_string() }}) as raw_response_window_days,
        cast(raw_plan_name as {{ dbt.type_string() }}) as raw_plan_name,
        cast(raw_target_segments as {{ dbt.type_string() }}) as raw_target_segments,
        cast(raw_min_probability_ordering as {{ dbt.type_string() }}) as raw_min_probability_ordering,
        cast(raw_max_contacts as {{ dbt.type_string() }}) as raw_max_contacts,
        cast(raw_cost_per_contact as {{ dbt.type_string() }}) as raw_cost_per_contact,
        cast(raw_fixed_cost as {{ dbt.type_string() }}) as raw_fixed_cost,
        cast(raw_offer_discount_pct as {{ dbt.type_string() }}) as raw_offer_discount_pct,
        cast(raw_margin_rate as {{ dbt.type_string() }}) as raw_margin_rate,
        cast(raw_based_on_campaign_id as {{ dbt.type_string() }}) as raw_based_on_campaign_id,
        cast(raw_assumed_relative_lift as {{ dbt.type_string() }}) as raw_assumed_relative_lift
    from source

),

target_lists as (

    select distinct target_segments
    from typed
    where target_segments is not null

),

target_tokens as (

    {{ drilldown.list_tokens('target_lists', ['target_segments'], 'target_segments', max_target_segments) }}

),

canonical_target_lists as (

    {#- The list as staged: its items, trimmed, joined by ',' in their order (null when no item is left). -#}
    select
        target_segments,
        {{ dbt.listagg('token', "','", 'order by part_number') }} as target_segment_list
    from target_tokens
    group by target_segments

),

unknown_target_lists as (

    select distinct target_tokens.target_segments
    from target_tokens
    left join segments
        on target_tokens.token = segments.rfm_segment
    where segments.rfm_segment is null

),

ranked as (

    select
        typed.*,
        canonical_target_lists.target_segment_list,
        unknown_target_lists.target_segments is not null as has_unknown_target_segment,
        campaigns.campaign_id is not null as is_known_campaign,
        row_number() over (
            partition by typed.plan_id
            order by typed.starts_at, typed.raw_plan_name, typed.raw_target_segments, typed.raw_response_window_days
        ) as plan_id_copy_number
    from typed
    left join canonical_target_lists
        on typed.target_segments = canonical_target_lists.target_segments
    left join unknown_target_lists
        on typed.target_segments = unknown_target_lists.target_segments
    left join campaigns
        on typed.based_on_campaign_id = campaigns.campaign_id

),

checked as (

    select
        plan_id,
        coalesce(plan_name, plan_id) as plan_name,
        starts_at,
        response_window_days,
        target_segment_list as target_segments,
        cast(min_probability_ordering_parsed as {{ double }}) as min_probability_ordering,
        max_contacts_parsed as max_contacts,
        coalesce({{ drilldown.money('cost_per_contact_parsed') }}, 0) as cost_per_contact,
        coalesce({{ drilldown.money('fixed_cost_parsed') }}, 0) as fixed_cost,
        coalesce(cast(offer_discount_pct_parsed as decimal(9, 4)), 0) as offer_discount_pct,
        cast(margin_rate_parsed as decimal(9, 6)) as margin_rate,
        based_on_campaign_id,
        cast(assumed_relative_lift_parsed as {{ double }}) as assumed_relative_lift,
        raw_plan_id,
        raw_starts_at,
        raw_response_window_days,
        raw_plan_name,
        raw_target_segments,
        raw_min_probability_ordering,
        raw_max_contacts,
        raw_cost_per_contact,
        raw_fixed_cost,
        raw_offer_discount_pct,
        raw_margin_rate,
        raw_based_on_campaign_id,
        raw_assumed_relative_lift,
        {{ drilldown.concat_reasons([
            ("null_plan_id", "plan_id is null"),
            ("duplicate_plan_id", "plan_id is not null and plan_id_copy_number > 1"),
            ("null_starts_at", "nullif(trim(raw_starts_at), '') is null"),
            ("unparseable_starts_at", "nullif(trim(raw_starts_at), '') is not null and starts_at is null"),
            ("invalid_response_window_days", "response_window_days is null or response_window_days <= 0"),
            ("unknown_target_segment", "has_unknown_target_segment"),
            ("too_many_target_segments", "target_segments is not null and " ~ drilldown.list_part_count('target_segments') ~ " > " ~ max_target_segments),
            ("invalid_min_probability_ordering", "(nullif(trim(raw_min_probability_ordering), '') is not null and min_probability_ordering_parsed is null) or min_probability_ordering_parsed < 0 or min_probability_ordering_parsed > 1"),
            ("invalid_max_contacts", "(nullif(trim(raw_max_contacts), '') is not null and max_contacts_parsed is null) or max_contacts_parsed <= 0"),
            ("invalid_cost_per_contact", "(nullif(trim(raw_cost_per_contact), '') is not null and cost_per_contact_parsed is null) or cost_per_contact_parsed < 0"),
            ("invalid_fixed_cost", "(nullif(trim(raw_fixed_cost), '') is not null and fixed_cost_parsed is null) or fixed_cost_parsed < 0"),
            ("invalid_offer_discount_pct", "(nullif(trim(raw_offer_discount_pct), '') is not null and offer_discount_pct_parsed is null) or offer_discount_pct_parsed < 0 or offer_discount_pct_parsed > 100"),
            ("invalid_margin_rate", "(nullif(trim(raw_margin_rate), '') is not null and margin_rate_parsed is null) or margin_rate_parsed < 0 or margin_rate_parsed > 1"),
            ("invalid_assumed_relative_lift", "(nullif(trim(raw_assumed_relative_lift), '') is not null and assumed_relative_lift_parsed is null) or assumed_relative_lift_parsed <= -1"),
            ("no_lift_source", "based_on_campaign_id is null and nullif(trim(raw_assumed_relative_lift), '') is null"),
            ("both_lift_sources", "based_on_campaign_id is not null and nullif(trim(raw_assumed_relative_lift), '') is not null"),
            ("unknown_based_on_campaign", "based_on_campaign_id is not null and not is_known_campaign"),
        ], input) }} as quarantine_reasons
    from ranked

)

select * from checked
