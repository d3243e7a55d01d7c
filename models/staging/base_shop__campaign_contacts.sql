{#- Every raw contact row, typed, with the reasons it cannot be used.
    Validation needs the valid campaigns (contact for an unknown campaign) and the other rows of
    the same customer in the same campaign (a contact in two arms breaks the randomisation). -#}
{%- set input = drilldown.input_source('raw_campaign_contacts') -%}
{%- set kinds = input['kinds'] -%}

with

source as (

    {#- Every column of the input contract (_staging__sources.yml) as raw_<name>, from the user's table and
        columns (vars drilldown_*), null when an optional column is absent; no row when the input is not read. -#}
    {{ drilldown.input_source_select(input) }}

),

campaigns as (

    select campaign_id from {{ ref('base_shop__campaigns') }}
    where quarantine_reasons is null

),

typed as (

    {#- A typed raw column (Parquet) is used as it is, not printed to text and parsed back. -#}
    select
        {{ drilldown.trimmed_text('raw_campaign_id', kinds.get('campaign_id')) }} as campaign_id,
        {{ drilldown.trimmed_text('raw_customer_id', kinds.get('customer_id')) }} as customer_id,
        {{ drilldown.parse_raw('raw_is_control', 'boolean', kinds.get('is_control')) }} as is_control,
        lower({{ drilldown.trimmed_text('raw_arm', kinds.get('arm')) }}) as arm_given,
        {{ drilldown.trimmed_raw('raw_designed_control_share', kinds.get('designed_control_share')) }}
            as designed_control_share_value,
        {{ drilldown.parse_raw('raw_designed_control_share', 'decimal', kinds.get('designed_control_share')) }}
            as designed_control_share_parsed,
        raw_campaign_id,
        raw_customer_id,
        raw_is_control,
        raw_arm,
        raw_designed_control_share
    from source

),

with_arm as (

    select
        *,
        {#- Control rows are always arm 'control'; treated rows without an arm are arm 'treatment'. -#}
        case
            when is_control then 'control'
            when is_control = false then coalesce(arm_given, 'treatment')
        end as arm
    from typed

),

ranked as (

    select
        with_arm.*,
        campaigns.campaign_id is not null as is_known_campaign,
        {{ drilldown.count_distinct_over('with_arm.arm', 'with_arm.campaign_id, with_arm.customer_id') }}
            as arms_of_contact,
        row_number() over (
            partition by with_arm.campaign_id, with_arm.customer_id
            order by with_arm.arm, with_arm.raw_designed_control_share
        ) as contact_copy_number
    from with_arm
    left join campaigns
        on with_arm.campaign_id = campaigns.campaign_id

),

checked as (

    select
        campaign_id,
        customer_id,
        is_control,
        arm,
        cast(designed_control_share_parsed as decimal(9, 6)) as designed_control_share,
        raw_campaign_id,
        raw_customer_id,
        raw_is_control,
        raw_arm,
        raw_designed_control_share,
        {{ drilldown.concat_reasons([
            ("null_campaign_id", "campaign_id is null"),
            ("null_customer_id", "customer_id is null"),
            ("invalid_is_control", "is_control is null"),
            ("unknown_campaign", "campaign_id is not null and not is_known_campaign"),
            ("contact_in_multiple_arms", "campaign_id is not null and customer_id is not null and arms_of_contact > 1"),
            ("duplicate_contact", "campaign_id is not null and customer_id is not null and arms_of_contact = 1 and contact_copy_number > 1"),
            ("invalid_designed_control_share", "(designed_control_share_value is not null and designed_control_share_parsed is null) or designed_control_share_parsed <= 0 or designed_control_share_parsed >= 1"),
        ], input) }} as quarantine_reasons
    from ranked

),

final as (

    {#- The raw values as text, for the quarantine table, only on quarantined rows. -#}
    select
        campaign_id,
        customer_id,
        is_control,
        arm,
        designed_control_share,
        {{ drilldown.raw_text_when_quarantined(['campaign_id', 'customer_id', 'is_control', 'arm', 'designed_control_share']) }},
        quarantine_reasons
    from checked

)

select * from final
