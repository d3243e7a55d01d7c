{#- Read = staged + quarantined for every input, including the absent and switched-off ones (0 = 0 + 0), with the
    user's table, how it was read and the column map. -#}
{{ assert_equal_rows(ref('data_reconciliation'), ref('expected_data_reconciliation'), [
    'entity', 'rows_read', 'rows_staged', 'rows_quarantined', 'is_reconciled', 'source_table', 'source_status',
    'source_columns',
]) }}
