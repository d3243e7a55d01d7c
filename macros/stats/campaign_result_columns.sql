{#- The figures every campaign_results mart (whole campaign, by RFM cell, by segment) shows, in order:
    the statistics of int_campaign_arm_comparisons, listed once so the three marts cannot drift apart. -#}
{% macro campaign_result_columns(relation_alias) -%}
    {{ drilldown.stats_require('campaign_result_columns', {'relation_alias': relation_alias}) }}
    {%- set columns = [
        'campaign_name', 'start_date', 'response_window_days', 'window_last_date', 'is_window_complete',
        'has_control_group',
        'contacts', 'responders', 'orders', 'revenue', 'margin',
        'response_rate', 'revenue_per_contact', 'margin_per_contact',
        'control_contacts', 'control_responders', 'control_orders', 'control_revenue', 'control_margin',
        'control_response_rate', 'control_revenue_per_contact', 'control_margin_per_contact',
        'response_rate_diff', 'response_rate_diff_ci95_lower', 'response_rate_diff_ci95_upper',
        'response_relative_lift', 'response_z', 'response_p_value', 'is_response_lift_significant',
        'revenue_per_contact_diff', 'revenue_per_contact_diff_ci95_lower', 'revenue_per_contact_diff_ci95_upper',
        'revenue_t', 'revenue_welch_df', 'revenue_t_critical', 'revenue_p_value',
        'margin_per_contact_diff', 'margin_per_contact_diff_ci95_lower', 'margin_per_contact_diff_ci95_upper',
        'margin_p_value',
        'incremental_responders', 'incremental_revenue', 'incremental_margin',
        'fixed_cost_allocated', 'contact_cost', 'discount_cost', 'total_cost',
        'incremental_profit', 'roi', 'is_profitable',
        'incremental_profit_per_contact', 'incremental_profit_per_contact_ci95_lower', 'rollout_decision',
        'total_contacts', 'designed_control_share', 'observed_control_share',
        'sample_ratio_chi_square', 'sample_ratio_p_value', 'is_sample_ratio_mismatch',
        'orders_without_margin',
    ] -%}
    {%- for column in columns %}
        {{ relation_alias }}.{{ column }}{{ ',' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
