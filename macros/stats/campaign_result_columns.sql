{#- The figures every campaign_results mart (whole campaign, by RFM cell, by segment) shows, in order:
    the statistics of int_campaign_arm_comparisons (relation_alias) and the decision of
    int_campaign_rollout_decisions (decision_alias), listed once so the three marts cannot drift apart.
    with_family: the per-cell / per-segment multiple-testing columns too (a family per campaign x arm). -#}
{% macro campaign_result_columns(relation_alias, decision_alias, with_family=false) -%}
    {{ drilldown.stats_require('campaign_result_columns', {'relation_alias': relation_alias, 'decision_alias': decision_alias}) }}
    {%- set decision_columns = [
        'rollout_family_size', 'rollout_p_value_holm', 'rollout_p_value_bh', 'rollout_ci_lower_bonferroni',
        'rollout_multiple_testing', 'rollout_decision',
    ] -%}
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
        'revenue_per_contact_diff_se', 'revenue_cuped_theta', 'revenue_per_contact_diff_cuped',
        'revenue_per_contact_diff_cuped_se', 'revenue_per_contact_diff_cuped_ci95_lower',
        'revenue_per_contact_diff_cuped_ci95_upper', 'revenue_cuped_p_value', 'revenue_variance_reduction',
        'margin_per_contact_diff_se', 'margin_cuped_theta', 'margin_per_contact_diff_cuped',
        'margin_per_contact_diff_cuped_se', 'margin_per_contact_diff_cuped_ci95_lower',
        'margin_per_contact_diff_cuped_ci95_upper', 'margin_cuped_p_value', 'margin_variance_reduction',
        'incremental_responders', 'incremental_revenue', 'incremental_margin',
        'fixed_cost_allocated', 'contact_cost', 'discount_cost', 'total_cost',
        'incremental_profit', 'roi', 'is_profitable',
        'incremental_profit_per_contact', 'incremental_profit_per_contact_ci95_lower',
        'incremental_profit_per_contact_cuped', 'incremental_profit_per_contact_cuped_ci95_lower',
        'rollout_uses_cuped', 'rollout_p_value',
    ] + ([
        'rollout_family_size', 'rollout_p_value_holm', 'rollout_p_value_bh', 'rollout_ci_lower_bonferroni',
        'rollout_multiple_testing',
    ] if with_family else []) + [
        'rollout_decision',
        'total_contacts', 'designed_control_share', 'observed_control_share',
        'sample_ratio_chi_square', 'sample_ratio_p_value', 'is_sample_ratio_mismatch',
        'orders_without_margin',
        'pre_period_revenue_per_contact', 'control_pre_period_revenue_per_contact', 'pre_period_revenue_diff',
        'pre_period_p_value', 'has_pre_period_imbalance',
        'revenue_cap', 'margin_cap', 'capped_contacts',
    ] -%}
    {%- for column in columns %}
        {{ decision_alias if column in decision_columns else relation_alias }}.{{ column }}{{ ',' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
