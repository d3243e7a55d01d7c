{#- Every raw campaign row, typed, with the reasons it cannot be used. campaigns is optional as a whole. -#}
{%- set input = drilldown.input_source('raw_campaigns') -%}

with

source as (

    {#- Every column of the input contract (_staging__sources.yml) as raw_<name>, from the user's table and
        columns (vars drilldown_*), null when an optional column is absent; no row when the input is not read. -#}
    {{ drilldown.input_source_select(input) }}

),

typed as (

    select
        nullif(trim(cast(raw_campaign_id as {{ dbt.type_string() }})), '') as campaign_id,
        nullif(trim(cast(raw_campaign_name as {{ dbt.type_string() }})), '') as campaign_name,
        {{ drilldown.parse_raw('raw_starts_at', 'timestamp') }} as starts_at,
        {{ drilldown.parse_raw('raw_response_window_days', 'integer') }} as response_window_days,
        {{ drilldown.parse_raw('raw_cost_per_contact', 'decimal') }} as cost_per_contact_parsed,
        {{ drilldown.parse_raw('raw_fixed_cost', 'decimal') }} as fixed_cost_parsed,
        {{ drilldown.parse_raw('raw_offer_discount_pct', 'decimal') }} as offer_discount_pct_parsed,
        {{ drilldown.parse_raw('raw_margin_rate', 'decimal') }} as margin_rate_parsed,
        cast(raw_campaign_id as {{ dbt.type_string() }}) as raw_campaign_id,
        cast(raw_campaign_name as {{ dbt.type_string() }}) as raw_campaign_name,
        cast(raw_starts_at as {{ dbt.type_string() }}) as raw_starts_at,
        cast(raw_response_window_days as {{ dbt.type_string() }}) as raw_response_window_days,
        cast(raw_cost_per_contact as {{ dbt.type_string() }}) as raw_cost_per_contact,
        cast(raw_fixed_cost as {{ dbt.type_string() }}) as raw_fixed_cost,
        cast(raw_offer_discount_pct as {{ dbt.type_string() }}) as raw_offer_discount_pct,
        cast(raw_margin_rate as {{ dbt.type_string() }}) as raw_margin_rate
    from source

),

ranked as (

    select
        *,
        row_number() over (
            partition by campaign_id
            order by starts_at, raw_campaign_name, raw_response_window_days
        ) as campaign_id_copy_number
    from typed

),

checked as (

    select
        campaign_id,
        coalesce(campaign_name, campaign_id) as campaign_name,
        starts_at,
        response_window_days,
        coalesce({{ drilldown.money('cost_per_contact_parsed') }}, 0) as cost_per_contact,
        coalesce({{ drilldown.money('fixed_cost_parsed') }}, 0) as fixed_cost,
        coalesce(cast(offer_discount_pct_parsed as decimal(9, 4)), 0) as offer_discount_pct,
        cast(margin_rate_parsed as decimal(9, 6)) as margin_rate,
        raw_campaign_id,
        raw_campaign_name,
        raw_starts_at,
        raw_response_window_days,
        raw_cost_per_contact,
        raw_fixed_cost,
        raw_offer_discount_pct,
        raw_margin_rate,
        {{ drilldown.concat_reasons([
            ("null_campaign_id", "campaign_id is null"),
            ("duplicate_campaign_id", "campaign_id is not null and campaign_id_copy_number > 1"),
            ("null_starts_at", "nullif(trim(raw_starts_at), '') is null"),
            ("unparseable_starts_at", "nullif(trim(raw_starts_at), '') is not null and starts_at is null"),
            ("invalid_response_window_days", "response_window_days is null or response_window_days <= 0"),
            ("invalid_cost_per_contact", "(nullif(trim(raw_cost_per_contact), '') is not null and cost_per_contact_parsed is null) or cost_per_contact_parsed < 0"),
            ("invalid_fixed_cost", "(nullif(trim(raw_fixed_cost), '') is not null and fixed_cost_parsed is null) or fixed_cost_parsed < 0"),
            ("invalid_offer_discount_pct", "(nullif(trim(raw_offer_discount_pct), '') is not null and offer_discount_pct_parsed is null) or offer_discount_pct_parsed < 0 or offer_discount_pct_parsed > 100"),
            ("invalid_margin_rate", "(nullif(trim(raw_margin_rate), '') is not null and margin_rate_parsed is null) or margin_rate_parsed < 0 or margin_rate_parsed > 1"),
        ], input) }} as quarantine_reasons
    from ranked

)

select * from checked
